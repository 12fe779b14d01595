"""Public consultation pages: the rounds, how to send a proposal, the form, the receipt,
and the published proposals."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from retning.consultation import intake, publication
from retning.consultation.forms import ProposalForm
from retning.consultation.models import Channel, ConsultationRound, ReceivedItem, Submission
from retning.consultation.receipts import send_receipt
from retning.core.clientip import client_ip
from retning.strategy.selectors import current_strategy

RECEIPT_SALT = "retning.consultation.receipt"


def round_list(request):
    strategy = current_strategy()
    rounds = ConsultationRound.objects.filter(strategy=strategy)
    now = timezone.now()
    return render(
        request,
        "consultation/round_list.html",
        {"strategy": strategy, "rounds": [(r, r.is_open(now)) for r in rounds]},
    )


def sender_key(request) -> str:
    """A keyed hash of the client address (behind a trusted proxy, the address it forwards
    for): enough for rate limits, not the address itself."""
    address = client_ip(request)
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


def rate_limited(consultation: ConsultationRound, key: str) -> bool:
    since = timezone.now() - dt.timedelta(hours=1)
    recent = ReceivedItem.objects.filter(
        channel=Channel.WEB, sender_key=key, received_at__gte=since
    ).count()
    return recent >= settings.RETNING_FORM_RATE_LIMIT


def round_detail(request, slug: str):
    strategy = current_strategy()
    consultation = get_object_or_404(ConsultationRound, strategy=strategy, slug=slug)
    accepts_form = consultation.accepts_web_form
    form = None
    status = 200
    problem = ""
    if accepts_form:
        if request.method == "POST":
            form = ProposalForm(request.POST, request.FILES, region=strategy.region)
            key = sender_key(request)
            if form.is_spam:
                problem, status = "spam", 400
            elif rate_limited(consultation, key):
                problem, status = "rate", 429
            elif form.is_valid():
                submission = _submit(consultation, form, key)
                token = signing.dumps(submission.pk, salt=RECEIPT_SALT)
                return redirect("consultation-receipt", slug=slug, token=token)
            else:
                status = 400
        else:
            form = ProposalForm(region=strategy.region)
    elif request.method == "POST":
        problem, status = "closed", 403
    return render(
        request,
        "consultation/round_detail.html",
        {
            "strategy": strategy,
            "round": consultation,
            "is_open": consultation.is_open(),
            "form": form,
            "problem": problem,
            "published": publication.published_for(consultation),
        },
        status=status,
    )


def _submit(consultation: ConsultationRound, form: ProposalForm, key: str) -> Submission:
    """Store the post first, then register it: the same steps as the e-mail importer."""
    posted_at = timezone.now()
    files = [
        intake.IncomingFile(f.name, f.content_type or "", f.read())
        for f in form.cleaned_data["attachments"]
    ]
    raw = intake.web_form_raw(form.stored_fields(), files, posted_at)
    item, _ = intake.store_raw(
        consultation, Channel.WEB, raw, received_at=posted_at, sender_key=key
    )
    intake.process_item(item)
    submission = Submission.objects.select_related("round", "item").get(item=item)
    send_receipt(submission)
    return submission


def receipt(request, slug: str, token: str):
    try:
        pk = signing.loads(token, salt=RECEIPT_SALT, max_age=60 * 60 * 24)
    except signing.BadSignature:
        raise Http404 from None
    submission = get_object_or_404(
        Submission.objects.select_related("round"), pk=pk, round__slug=slug
    )
    return render(
        request,
        "consultation/receipt.html",
        {"strategy": current_strategy(), "submission": submission, "round": submission.round},
    )
