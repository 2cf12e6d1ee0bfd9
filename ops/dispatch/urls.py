from django.urls import path

from ops.dispatch import slip, tool_labels, tool_pages, views

app_name = "dispatch"
urlpatterns = [
    path("c/<slug:centre>/dispatch/teams/", views.teams, name="teams"),
    path("c/<slug:centre>/dispatch/teams/form/", views.form_team, name="form_team"),
    path("c/<slug:centre>/dispatch/teams/propose/", views.accept_proposals, name="accept_proposals"),
    path("c/<slug:centre>/dispatch/teams/<int:team>/ready/", views.make_ready, name="make_ready"),
    path("c/<slug:centre>/dispatch/teams/<int:team>/disband/", views.disband, name="disband"),
    path("c/<slug:centre>/dispatch/teams/<int:team>/lend/", views.lend, name="lend"),
    path("c/<slug:centre>/dispatch/teams/<int:team>/contacted/", views.contacted, name="contacted"),
    path("c/<slug:centre>/dispatch/teams/<int:team>/hand-out/", tool_pages.team_hand_out, name="team_hand_out"),
    path("c/<slug:centre>/dispatch/loans/<int:loan>/return/", views.return_loan, name="return_loan"),
    path("c/<slug:centre>/dispatch/send/", views.send, name="send"),
    path("c/<slug:centre>/dispatch/<int:dispatch>/report/", views.staff_report, name="staff_report"),
    path("c/<slug:centre>/dispatch/<int:dispatch>/cancel/", views.cancel, name="cancel"),
    # The tool desk: 資機材 (kinds, stock in and out, holders, history) and 消耗品.
    path("c/<slug:centre>/tools/", tool_pages.tools, name="tools"),
    path("c/<slug:centre>/tools/add/", tool_pages.tool_add, name="tool_add"),
    path("c/<slug:centre>/tools/<int:kind>/", tool_pages.tool_history, name="tool_history"),
    path("c/<slug:centre>/tools/<int:kind>/rename/", tool_pages.tool_rename, name="tool_rename"),
    path("c/<slug:centre>/tools/<int:kind>/retire/", tool_pages.tool_retire, name="tool_retire"),
    path("c/<slug:centre>/tools/<int:kind>/move/", tool_pages.tool_move, name="tool_move"),
    # What a tool's QR label carries (ops.desk.codes); opened by an ordinary camera, it shows the kind's page.
    path("c/<slug:centre>/tools/i/<str:code>/", tool_pages.tool_item_label, name="tool_item_label"),
    path("c/<slug:centre>/tools/k/<str:code>/", tool_pages.tool_kind_label, name="tool_kind_label"),
    # Printable QR labels (per numbered item, or a kind's bundle ×n) and numbering a kind's items.
    path("c/<slug:centre>/tools/labels/", tool_labels.tool_labels, name="tool_labels"),
    path("c/<slug:centre>/tools/<int:kind>/items/", tool_labels.tool_items, name="tool_items"),
    path("c/<slug:centre>/tools/consumables/add/", tool_pages.consumable_add, name="consumable_add"),
    path("c/<slug:centre>/tools/consumables/<int:item>/count/", tool_pages.consumable_count,
         name="consumable_count"),
    path("c/<slug:centre>/tools/consumables/<int:item>/hand-out/", tool_pages.consumable_hand_out,
         name="consumable_hand_out"),
    # The leader's private slip link: no account, the token is the key (see ops.dispatch.slip).
    path("s/<str:token>/", slip.slip, name="slip"),
    path("s/<str:token>/print/", slip.slip_print, name="slip_print"),
]
