"""/c/<centre>/mail/: every mail the centre sent or is sending, with its state, in one place (送信メール).

Each role sees the kinds of mail ops.messages.visibility gives it. A mail that failed, or whose delivery is
unknown (the server's answer to its content was lost), can be sent again by hand: a new mail with a new
Message-ID, never a silent repeat; an unknown one can also be recorded as arrived once someone has checked.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from ops import audit
from ops.messages import selectors, services, visibility
from ops.messages.models import OutboundMail
from ops.permissions import caps_of, centre_view

PAGE_SIZE = 50


def _seen(request, centre):
    return selectors.outbox_of(centre, visibility.kinds_seen(caps_of(request.user, centre)))


@never_cache
@require_GET
@centre_view(*visibility.OPENS)
def outbox(request, centre):
    caps = caps_of(request.user, centre)
    kinds = visibility.kinds_seen(caps)
    mails = selectors.outbox_of(centre, kinds)
    kind, state = request.GET.get("kind", ""), request.GET.get("state", "")
    shown = mails
    if kind in kinds:
        shown = shown.filter(kind=kind)
    if state in OutboundMail.State.values:
        shown = shown.filter(state=state)
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.state_counts(mails)
    summary = [{"kind": k, "label": OutboundMail.Kind(k).label, "states": counts.get(k, {}),
                "total": sum(counts[k].values())} for k in kinds if k in counts]
    return render(request, "outbox/outbox.html", {
        "page": page, "summary": summary, "states": OutboundMail.State.choices,
        "kinds": [(k, OutboundMail.Kind(k).label) for k in kinds], "asked": {"kind": kind, "state": state},
        "attention": mails.filter(state__in=(OutboundMail.State.FAILED, OutboundMail.State.UNKNOWN)).count(),
    })


@never_cache
@require_GET
@centre_view(*visibility.OPENS)
def mail_detail(request, centre, pk):
    mail = get_object_or_404(_seen(request, centre), pk=pk)
    return render(request, "outbox/mail.html", {
        "mail": mail, "body_shown": visibility.body_shown(mail),
        "may_act": visibility.may_act(caps_of(request.user, centre), mail),
    })


def _acting(request, centre, pk) -> OutboundMail:
    mail = get_object_or_404(_seen(request, centre), pk=pk)
    if not visibility.may_act(caps_of(request.user, centre), mail):
        raise PermissionDenied
    return mail


@require_POST
@centre_view(*visibility.OPENS)
def send_again(request, centre, pk):
    mail = _acting(request, centre, pk)
    try:
        again = services.send_again(mail, by=request.user)
    except services.MailError as exc:
        messages.error(request, str(exc))
        return redirect("outbox:mail", centre=centre.slug, pk=mail.pk)
    audit.happened("mail.sent_again", mail, centre=centre, by=request.user, note=f"#{again.pk}")
    messages.success(request, _("もう一度送信するメールを作成しました。送信の状態はこのページで確認できます。"))
    return redirect("outbox:mail", centre=centre.slug, pk=again.pk)


@require_POST
@centre_view(*visibility.OPENS)
def confirm_delivered(request, centre, pk):
    mail = _acting(request, centre, pk)
    try:
        services.confirm_delivered(mail, by=request.user)
    except services.MailError as exc:
        messages.error(request, str(exc))
    else:
        audit.happened("mail.confirmed", mail, centre=centre, by=request.user)
        messages.success(request, _("届いたことを記録しました。"))
    return redirect("outbox:mail", centre=centre.slug, pk=mail.pk)
