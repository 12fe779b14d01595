from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "retning.core"
    verbose_name = _("Felles")

    def ready(self) -> None:
        from retning.core import checks  # noqa: F401  (registers the deployment checks)
