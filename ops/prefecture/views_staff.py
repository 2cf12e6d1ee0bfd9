"""県域スタッフ (/pref/<disaster>/staff/): the disaster's prefecture staff; a member adds an existing account
by its login name or removes a member (ops.prefecture.services.staff decides)."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ops.permissions import prefecture_view
from ops.prefecture.forms import AddMemberForm
from ops.prefecture.models import PrefectureMembership
from ops.prefecture.services import PrefectureRefused
from ops.prefecture.services.staff import add_member, remove_member


def _page(request, disaster, form, error="", status=200):
    members = PrefectureMembership.objects.filter(disaster=disaster).select_related("user").order_by("created_at", "pk")
    return render(request, "prefecture/staff.html", {"disaster": disaster, "members": members, "form": form,
                                                     "error": error}, status=status)


@prefecture_view
def staff(request, disaster):
    form = AddMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = add_member(disaster, username=form.cleaned_data["username"], by=request.user)
        except PrefectureRefused as exc:
            form.add_error("username", exc.message)
        else:
            messages.success(request, _("%(name)sさんを県域スタッフに加えました。") % {
                "name": member.user.get_full_name() or member.user.username})
            return redirect("prefecture:staff", disaster=disaster.pk)
    return _page(request, disaster, form, status=400 if request.method == "POST" else 200)


@prefecture_view
@require_POST
def staff_remove(request, disaster, member):
    try:
        remove_member(disaster, member_id=member, by=request.user)
    except PrefectureRefused as exc:
        return _page(request, disaster, AddMemberForm(), error=exc.message, status=400)
    messages.success(request, _("県域スタッフから外しました。"))
    if not PrefectureMembership.objects.filter(disaster=disaster, user=request.user).exists() \
            and not request.user.is_superuser:
        return redirect("home")  # they removed themselves: the pages are no longer theirs
    return redirect("prefecture:staff", disaster=disaster.pk)
