from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# Role groups and their permissions (codename, app label).
ROLES = {
    "Administratorer": [
        "view_submission",
        "review_submission",
        "tag_submission",
        "change_consultationround",
        "view_consultationround",
    ],
    "Saksbehandlere": ["view_submission", "tag_submission"],
    "Lesere": ["view_submission"],
}


def ensure_roles(sender, using="default", **kwargs) -> None:
    """Create the three role groups with their permissions (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    for name, codenames in ROLES.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        permissions = Permission.objects.using(using).filter(
            content_type__app_label="consultation", codename__in=codenames
        )
        group.permissions.add(*permissions)


class ConsultationConfig(AppConfig):
    name = "retning.consultation"
    verbose_name = _("Høring")

    def ready(self) -> None:
        post_migrate.connect(ensure_roles, sender=self)
