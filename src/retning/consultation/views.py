"""Public consultation pages: the rounds, their deadlines and how to send a proposal."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from retning.consultation.models import ConsultationRound
from retning.strategy.selectors import current_strategy


def round_list(request):
    strategy = current_strategy()
    rounds = ConsultationRound.objects.filter(strategy=strategy)
    now = timezone.now()
    return render(
        request,
        "consultation/round_list.html",
        {"strategy": strategy, "rounds": [(r, r.is_open(now)) for r in rounds]},
    )


def round_detail(request, slug: str):
    strategy = current_strategy()
    consultation = get_object_or_404(ConsultationRound, strategy=strategy, slug=slug)
    return render(
        request,
        "consultation/round_detail.html",
        {"strategy": strategy, "round": consultation, "is_open": consultation.is_open()},
    )
