"""Words of time: the months, the weekdays and the holidays a story dates a happening by."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable

from dateutil.easter import easter
from dateutil.relativedelta import MO, SU, TH, relativedelta

# the months in their order, in lower case: the month of MONTHS[i] is i + 1
MONTHS = tuple(name.lower() for name in calendar.month_name[1:])
# every way of writing a month ("September", "Sep", "Sept"), the longest first (for an alternation)
MONTH_NAMES = sorted({*calendar.month_name[1:], *calendar.month_abbr[1:], "Sept"}, key=len, reverse=True)
MONTH_ABBREVIATIONS = tuple(calendar.month_abbr[1:])  # "Jan" ... "Dec"
WEEKDAYS = tuple(calendar.day_name)  # "Monday" ... "Sunday": the weekday of WEEKDAYS[i] is i
WEEKDAY_ABBREVIATIONS = tuple(calendar.day_abbr)  # "Mon" ... "Sun"

# the days a story dates a happening by their name ("on New Year's Eve", "Thanksgiving night"), each
# the day of a year it falls on
_S = "['\u2019]?s['\u2019]?"  # New Year's, New Years', Father’s
HOLIDAYS: dict[str, Callable[[int], dt.date]] = {
    rf"New Year{_S} Eve": lambda year: dt.date(year, 12, 31),
    rf"New Year{_S}(?: Day)?": lambda year: dt.date(year, 1, 1),
    "Christmas Eve": lambda year: dt.date(year, 12, 24),
    "Christmas(?: Day)?": lambda year: dt.date(year, 12, 25),
    "(?:the )?Fourth of July|July 4th|Independence Day": lambda year: dt.date(year, 7, 4),
    "Halloween": lambda year: dt.date(year, 10, 31),
    rf"Valentine{_S} Day": lambda year: dt.date(year, 2, 14),
    rf"(?:St\.|Saint) Patrick{_S} Day": lambda year: dt.date(year, 3, 17),
    "Easter(?: Sunday)?": easter,
    "Thanksgiving(?: Day)?": lambda year: dt.date(year, 11, 1) + relativedelta(weekday=TH(+4)),
    rf"Mother{_S} Day": lambda year: dt.date(year, 5, 1) + relativedelta(weekday=SU(+2)),
    rf"Father{_S} Day": lambda year: dt.date(year, 6, 1) + relativedelta(weekday=SU(+3)),
    "Memorial Day": lambda year: dt.date(year, 5, 31) + relativedelta(weekday=MO(-1)),
    "Labor Day": lambda year: dt.date(year, 9, 1) + relativedelta(weekday=MO(+1)),
    r"Martin Luther King(?: Jr\.?)? Day|MLK Day": lambda year: dt.date(year, 1, 1) + relativedelta(weekday=MO(+3)),
}

__all__ = ["HOLIDAYS", "MONTHS", "MONTH_ABBREVIATIONS", "MONTH_NAMES", "WEEKDAYS", "WEEKDAY_ABBREVIATIONS"]
