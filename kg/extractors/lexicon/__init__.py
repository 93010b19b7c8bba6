"""The extractors' word lists, one module per domain: what a word means to us, apart from the rules that use it."""
