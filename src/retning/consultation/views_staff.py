"""Staff pages for proposals: the list with filters and search, the detail with actions,
the received items that need a decision, raw downloads and the outbox."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from retning.consultation import export, intake, outlook, review
from retning.consultation.matching import STEP_LETTERS
from retning.consultation.models import (
    Attachment,
    OutgoingMail,
    ReceivedItem,
    Submission,
    SubmissionTag,
    SubmitterType,
)
from retning.consultation.references import reference_in
from retning.consultation.search import search_submissions
from retning.strategy.models import FocusArea, MainStrategy, Municipality
from retning.strategy.selectors import current_strategy

can_view = permission_required(review.VIEW, raise_exception=True)
audit_log = logging.getLogger("retning.audit")
LIST_PAGE = 100


def _filtered(request, strategy):
    params = request.GET
    submissions = (
        Submission.objects.filter(round__strategy=strategy)
        .select_related("round", "municipality")
        .annotate(n_attachments=Count("attachments", distinct=True))
        .prefetch_related(
            Prefetch("tags", SubmissionTag.objects.select_related("main_strategy", "focus_area"))
        )
        .order_by("-reached_us_at", "-id")
    )
    if params.get("round"):
        submissions = submissions.filter(round__slug=params["round"])
    if params.get("status"):
        submissions = submissions.filter(status=params["status"])
    if params.get("on_time") in {"yes", "no"}:
        wanted = params["on_time"] == "yes"
        submissions = submissions.filter(
            Q(on_time_override=wanted) | Q(on_time_override__isnull=True, on_time=wanted)
        )
    if params.get("submitter_type") is not None and "submitter_type" in params:
        submissions = submissions.filter(submitter_type=params["submitter_type"])
    if params.get("municipality"):
        submissions = submissions.filter(municipality__slug=params["municipality"])
    if params.get("attachments") in {"yes", "no"}:
        submissions = (
            submissions.filter(n_attachments__gt=0)
            if params["attachments"] == "yes"
            else submissions.filter(n_attachments=0)
        )
    if params.get("attachments") == "manual":
        submissions = submissions.filter(
            pk__in=Attachment.objects.filter(text_status=Attachment.TextStatus.MANUAL).values(
                "submission_id"
            )
        )
    if params.get("published") in {"yes", "no"}:
        submissions = submissions.filter(published_at__isnull=params["published"] == "no")
    if params.get("tag"):
        submissions = submissions.filter(
            Q(tags__main_strategy__slug=params["tag"]) | Q(tags__focus_area__slug=params["tag"])
        ).distinct()
    if params.get("q"):
        submissions = search_submissions(submissions, params["q"])
    return submissions


@login_required
@can_view
def submission_list(request):
    strategy = current_strategy()
    page = Paginator(_filtered(request, strategy), LIST_PAGE).get_page(request.GET.get("page"))
    pending = ReceivedItem.objects.filter(
        round__strategy=strategy,
        status__in=[
            ReceivedItem.Status.UNMATCHED,
            ReceivedItem.Status.FAILED,
            ReceivedItem.Status.AUTOMATIC,
            ReceivedItem.Status.DUPLICATE,
            ReceivedItem.Status.OVERSIZED,
            ReceivedItem.Status.PENDING,
        ],
    ).count()
    return render(
        request,
        "staff/submission_list.html",
        {
            "strategy": strategy,
            "submissions": page.object_list,
            "list_page": page,
            "export_formats": [("csv", "CSV"), ("xlsx", "Excel"), ("json", "JSON")],
            "can_export_personal_data": request.user.has_perm(review.REVIEW),
            "params": request.GET,
            "rounds": strategy.consultation_rounds.all(),
            "statuses": Submission.Status.choices,
            "submitter_types": SubmitterType.choices,
            "municipalities": Municipality.objects.filter(region=strategy.region),
            "main_strategies": MainStrategy.objects.filter(strategy=strategy),
            "focus_areas": FocusArea.objects.filter(strategy=strategy),
            "pending_items": pending,
        },
    )


def _tag(submission: Submission, user, slug: str) -> None:
    """Main strategies and focus areas share one id namespace in the strategy file."""
    strategy = submission.round.strategy
    main = MainStrategy.objects.filter(strategy=strategy, slug=slug).first()
    if main:
        review.tag(submission, user, main_strategy=main)
        return
    focus = FocusArea.objects.filter(strategy=strategy, slug=slug).first()
    if focus is None:
        raise ValidationError(
            _("Ingen hovedstrategi eller fokusområde heter «%(label)s».") % {"label": slug}
        )
    review.tag(submission, user, focus_area=focus)


def _untag(submission: Submission, user, value: str) -> None:
    if not value.strip():
        raise ValidationError(_("Velg et merke å fjerne."))
    try:
        tag_id = int(value)
    except ValueError:
        raise ValidationError(
            _("«%(value)s» er ikke et gyldig merke.") % {"value": value}
        ) from None
    review.untag(submission, user, tag_id)


def _original(submission: Submission, value: str) -> Submission:
    """The proposal a duplicate repeats, by its reference number or its løpenummer."""
    value = value.strip()
    reference = reference_in(value)
    found = None
    if reference:
        found = Submission.objects.filter(round=submission.round, reference=reference).first()
    elif value.isdigit():
        found = Submission.objects.filter(round=submission.round, number=int(value)).first()
    if found is None:
        raise ValidationError(
            _("Fant ikke innspill «%(value)s» i denne høringen.") % {"value": value}
        )
    return found


# Each action reads its own values from the POST data; a value it cannot use is a
# ValidationError, shown to the user as a message, never a server error.
ACTIONS = {
    "register": lambda s, u, p: review.register(s, u),
    "reject": lambda s, u, p: review.reject(s, u, p.get("reason", "")),
    "duplicate": lambda s, u, p: review.mark_duplicate(s, u, _original(s, p.get("original", ""))),
    "publish": lambda s, u, p: review.publish(s, u),
    "unpublish": lambda s, u, p: review.unpublish(s, u),
    "redact": lambda s, u, p: review.redact(s, u, p.get("redacted_text", "")),
    "submitter": lambda s, u, p: review.set_submitter(
        s,
        u,
        name=p.get("name", ""),
        organisation=p.get("organisation", ""),
        orgnr=p.get("orgnr", ""),
        submitter_type=p.get("submitter_type", ""),
        municipality=p.get("municipality", ""),
        consent_publish_name=p.get("consent_publish_name") == "yes",
    ),
    "note": lambda s, u, p: review.add_note(s, u, p.get("note", "")),
    "deadline": lambda s, u, p: review.override_deadline(
        s, u, p.get("on_time") == "yes", p.get("reason", "")
    ),
    "tag": lambda s, u, p: _tag(s, u, p.get("tag", "")),
    "untag": lambda s, u, p: _untag(s, u, p.get("tag_id", "")),
}


@login_required
@can_view
def submission_detail(request, pk: int):
    strategy = current_strategy()
    submission = get_object_or_404(
        Submission.objects.select_related("round", "municipality", "item", "duplicate_of"),
        pk=pk,
        round__strategy=strategy,
    )
    if request.method == "POST":
        action = ACTIONS.get(request.POST.get("action", ""))
        if action is None:
            messages.error(request, _("Ukjent handling."))
        else:
            try:
                action(submission, request.user, request.POST)
            except PermissionDenied:
                messages.error(request, _("Du har ikke tilgang til denne handlingen."))
            except ValidationError as exc:
                messages.error(
                    request, _("Handlingen ble ikke utført: %(e)s") % {"e": " ".join(exc.messages)}
                )
            else:
                messages.success(request, _("Lagret."))
        return redirect("staff-submission", pk=submission.pk)
    return render(
        request,
        "staff/submission_detail.html",
        {
            "strategy": strategy,
            "submission": submission,
            "attachments": submission.attachments.defer("data"),
            "tags": submission.tags.select_related("main_strategy", "focus_area"),
            "events": submission.events.select_related("actor"),
            "main_strategies": MainStrategy.objects.filter(strategy=strategy),
            "focus_areas": FocusArea.objects.filter(strategy=strategy),
            "can_review": request.user.has_perm(review.REVIEW),
            "can_tag": request.user.has_perm(review.TAG),
            "submitter_types": SubmitterType.choices,
            "municipalities": Municipality.objects.filter(region=strategy.region),
        },
    )


def _download(
    data: bytes, filename: str, content_type: str = "application/octet-stream"
) -> HttpResponse:
    """Always a download: received content is never rendered."""
    response = HttpResponse(bytes(data), content_type=content_type)
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in filename) or "fil"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


EXPORT_FILES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


@login_required
@can_view
def submission_export(request, slug: str, fmt: str):
    """A round's proposals as a file; personal data only for those who review proposals,
    and every such export is logged with who took it."""
    consultation = get_object_or_404(current_strategy().consultation_rounds.all(), slug=slug)
    if fmt not in EXPORT_FILES:
        raise Http404(f"unknown format {fmt}")
    personal = request.GET.get("personopplysninger") == "1"
    if personal and not request.user.has_perm(review.REVIEW):
        raise PermissionDenied
    if personal:
        audit_log.info(
            "export with personal data: round %s, %s, by %s",
            consultation.slug,
            fmt,
            request.user.get_username(),
        )
    data = export.export(consultation, fmt, include_personal_data=personal)
    name = f"innspill-{slug}{'-med-personopplysninger' if personal else ''}.{fmt}"
    return _download(data, name, EXPORT_FILES[fmt])


@login_required
@can_view
def item_raw(request, pk: int):
    item = get_object_or_404(ReceivedItem, pk=pk, round__strategy=current_strategy())
    extension = "eml" if item.channel == "email" else "json"
    if outlook.is_msg(bytes(item.raw[:8])):
        extension = "msg"  # kept as Outlook saved it
    return _download(item.raw, f"mottatt-{item.pk}.{extension}")


@login_required
@can_view
def attachment_download(request, pk: int):
    attachment = get_object_or_404(
        Attachment, pk=pk, submission__round__strategy=current_strategy()
    )
    return _download(attachment.data, attachment.filename)


@login_required
@can_view
def item_list(request):
    strategy = current_strategy()
    status = request.GET.get("status") or ReceivedItem.Status.UNMATCHED
    items = (
        ReceivedItem.objects.filter(round__strategy=strategy, status=status)
        .select_related("round")
        .defer("raw")
        .order_by("-received_at")[:500]
    )
    return render(
        request,
        "staff/item_list.html",
        {
            "strategy": strategy,
            "items": items,
            "status": status,
            "statuses": ReceivedItem.Status.choices,
            "letters_step": STEP_LETTERS,
            "can_review": request.user.has_perm(review.REVIEW),
            "max_chars": settings.RETNING_PROPOSAL_MAX_CHARS,
            "max_mb": settings.RETNING_PROPOSAL_MAX_BYTES // 1024**2,
        },
    )


@login_required
@require_POST
def item_decide(request, pk: int):
    if not request.user.has_perm(review.REVIEW):
        raise PermissionDenied
    item = get_object_or_404(ReceivedItem, pk=pk, round__strategy=current_strategy())
    if request.POST.get("action") == "accept" and not hasattr(item, "submission"):
        try:
            submission = intake.accept_item(item, request.user)
        except Exception as exc:  # a message that cannot be read cannot be accepted
            messages.error(request, _("Kunne ikke lese meldingen: %(e)s") % {"e": exc})
        else:
            return redirect("staff-submission", pk=submission.pk)
    elif request.POST.get("action") == "dismiss":
        intake.dismiss_item(item, request.user, request.POST.get("reason", ""))
        messages.success(request, _("Meldingen er avvist. Den er fortsatt lagret."))
    return redirect(f"{reverse('staff-items')}?status={item.status}")


@login_required
@can_view
def outbox(request):
    return render(
        request,
        "staff/outbox.html",
        {"strategy": current_strategy(), "mails": OutgoingMail.objects.all()[:200]},
    )
