from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BusinessConfig(AppConfig):
    name = "retning.business"
    verbose_name = _("Næringslivet")
