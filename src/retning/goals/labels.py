"""The words for a goal's status, in the page's language (never colour alone)."""

from django.utils.translation import gettext_lazy as _

STATUS_LABELS = {
    "on_track": _("I rute"),
    "at_risk": _("Usikkert"),
    "off_track": _("Ikke i rute"),
    "insufficient_data": _("For lite data"),
}

STATUS_EXPLANATIONS = {
    "on_track": _("Med dagens utvikling nås målet innen målåret."),
    "at_risk": _("Med dagens utvikling nås målet nesten, men ikke helt, innen målåret."),
    "off_track": _("Med dagens utvikling nås ikke målet innen målåret."),
    "insufficient_data": _(
        "Det finnes ikke nok tall til å vurdere målet. Se hva som mangler nedenfor."
    ),
}

STATUS_SYMBOLS = {"on_track": "✓", "at_risk": "!", "off_track": "✗", "insufficient_data": "?"}
