from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationAnalysisConfig(AppConfig):
    name = "retning.consultation_analysis"
    label = "consultation_analysis"
    verbose_name = _("Analyse av høringsinnspill")
    default_auto_field = "django.db.models.BigAutoField"
