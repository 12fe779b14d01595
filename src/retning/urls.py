from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from retning.consultation import views as consultation_views
from retning.consultation import views_staff as consultation_staff
from retning.core import views as core_views
from retning.strategy import views as strategy_views

admin.site.site_header = "Retning"
admin.site.site_title = "Retning"

urlpatterns = [
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", strategy_views.home, name="home"),
    path("mal/<slug:slug>/", strategy_views.goal_detail, name="goal"),
    path("strategier/<slug:slug>/", strategy_views.main_strategy_detail, name="main-strategy"),
    path("fokusomrader/<slug:slug>/", strategy_views.focus_area_detail, name="focus-area"),
    path("horing/", consultation_views.round_list, name="consultations"),
    path("horing/<slug:slug>/", consultation_views.round_detail, name="consultation"),
    path(
        "horing/<slug:slug>/kvittering/<str:token>/",
        consultation_views.receipt,
        name="consultation-receipt",
    ),
    path("stab/", core_views.staff_home, name="staff-home"),
    path(
        "stab/logg-inn/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("stab/logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("stab/innspill/", consultation_staff.submission_list, name="staff-submissions"),
    path("stab/innspill/<int:pk>/", consultation_staff.submission_detail, name="staff-submission"),
    path("stab/mottatt/", consultation_staff.item_list, name="staff-items"),
    path("stab/mottatt/<int:pk>/", consultation_staff.item_decide, name="staff-item-decide"),
    path("stab/mottatt/<int:pk>/ra/", consultation_staff.item_raw, name="staff-item-raw"),
    path("stab/vedlegg/<int:pk>/", consultation_staff.attachment_download, name="staff-attachment"),
    path("stab/utboks/", consultation_staff.outbox, name="staff-outbox"),
    prefix_default_language=False,
)
