from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from retning.consultation import views as consultation_views
from retning.consultation import views_staff as consultation_staff
from retning.consultation_analysis import views as analysis_views
from retning.core import views as core_views
from retning.goals import views as goal_views
from retning.reports import views as report_views
from retning.stats import api as stats_api
from retning.stats import views as stats_views
from retning.strategy import views as strategy_views

admin.site.site_header = "Retning"
admin.site.site_title = "Retning"

urlpatterns = [
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("api/v1/goals/", goal_views.api_goals, name="api-goals"),
    path("api/v1/goals/<slug:slug>.<str:fmt>", goal_views.api_goal, name="api-goal"),
    path("api/v1/observations.json", stats_api.observations_json, name="api-observations-json"),
    path("api/v1/observations.csv", stats_api.observations_csv, name="api-observations-csv"),
]

urlpatterns += i18n_patterns(
    path("", strategy_views.home, name="home"),
    path("mal/<slug:slug>/", goal_views.goal_detail, name="goal"),
    path("kommuner/<slug:slug>/", goal_views.municipality_detail, name="municipality"),
    path("strategier/", strategy_views.main_strategy_index, name="main-strategies"),
    path("strategier/<slug:slug>/", strategy_views.main_strategy_detail, name="main-strategy"),
    path("fokusomrader/", strategy_views.focus_area_index, name="focus-areas"),
    path("fokusomrader/<slug:slug>/", strategy_views.focus_area_detail, name="focus-area"),
    path("horing/", consultation_views.round_list, name="consultations"),
    path("horing/<slug:slug>/", consultation_views.round_detail, name="consultation"),
    path("data/", stats_views.data_page, name="stats-data"),
    path("data/radata/<int:fetch_id>/", stats_views.raw_download, name="stats-raw"),
    path(
        "horing/<slug:slug>/kvittering/<str:token>/",
        consultation_views.receipt,
        name="consultation-receipt",
    ),
    path("stab/", core_views.staff_home, name="staff-home"),
    path("stab/statistikk/", stats_views.staff_data, name="staff-data"),
    path("stab/stikkord/", strategy_views.staff_vocabulary, name="staff-vocabulary"),
    path(
        "stab/logg-inn/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("stab/logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("stab/innspill/", consultation_staff.submission_list, name="staff-submissions"),
    path("stab/innspill/<int:pk>/", consultation_staff.submission_detail, name="staff-submission"),
    path(
        "stab/innspill/eksport/<slug:slug>.<str:fmt>",
        consultation_staff.submission_export,
        name="staff-submission-export",
    ),
    path("stab/mottatt/", consultation_staff.item_list, name="staff-items"),
    path("stab/mottatt/<int:pk>/", consultation_staff.item_decide, name="staff-item-decide"),
    path("stab/mottatt/<int:pk>/ra/", consultation_staff.item_raw, name="staff-item-raw"),
    path("stab/vedlegg/<int:pk>/", consultation_staff.attachment_download, name="staff-attachment"),
    path("stab/utboks/", consultation_staff.outbox, name="staff-outbox"),
    path("stab/analyse/<slug:slug>/", analysis_views.overview, name="staff-analysis"),
    path("stab/analyse/<slug:slug>/ko/", analysis_views.queue, name="staff-analysis-queue"),
    path(
        "stab/analyse/<slug:slug>/kampanjer/",
        analysis_views.campaigns,
        name="staff-analysis-campaigns",
    ),
    path("stab/analyse/<slug:slug>/temaer/", analysis_views.themes, name="staff-analysis-themes"),
    path(
        "stab/analyse/<slug:slug>/tekster/",
        analysis_views.sections,
        name="staff-analysis-sections",
    ),
    path(
        "stab/analyse/<slug:slug>/hoeringsoppsummering.<str:fmt>",
        report_views.consultation_report_download,
        name="staff-consultation-report",
    ),
    prefix_default_language=False,
)
