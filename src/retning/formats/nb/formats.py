# Norwegian formats as the public sector writes them (Språkrådet): 15. juni 2024 kl. 23.59,
# 1 234 567,8 with a non-breaking space.
DATE_FORMAT = "j. F Y"
DATETIME_FORMAT = r"j. F Y \k\l. H.i"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H.i"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H.i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
