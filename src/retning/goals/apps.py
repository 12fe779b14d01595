from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "retning.goals"
    verbose_name = _("Måloppnåelse")
