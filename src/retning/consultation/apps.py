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
        "stats.refresh_statistics",
    ],
    "Saksbehandlere": ["view_submission", "tag_submission"],
    "Lesere": ["view_submission"],
}


def ensure_roles(sender, using="default", **kwargs) -> None:
    """Create the three role groups with their permissions (idempotent)."""
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    # Permissions of apps migrated after this one are created here first ("app.codename";
    # a bare codename is this app's).
    for label in {name.split(".")[0] for names in ROLES.values() for name in names if "." in name}:
        create_permissions(global_apps.get_app_config(label), verbosity=0, using=using)
    for name, codenames in ROLES.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        for qualified in codenames:
            app_label, _dot, codename = qualified.rpartition(".")
            group.permissions.add(
                *Permission.objects.using(using).filter(
                    content_type__app_label=app_label or "consultation", codename=codename
                )
            )


class ConsultationConfig(AppConfig):
    name = "retning.consultation"
    verbose_name = _("Høring")

    def ready(self) -> None:
        post_migrate.connect(ensure_roles, sender=self)
