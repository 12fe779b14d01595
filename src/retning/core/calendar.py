"""Norwegian month names, for reading NAV's column headings and writing dates in reports
without Django's locale machinery (pure Python)."""

MONTHS_NB = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)  # fmt: skip
