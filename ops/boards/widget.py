"""The widget a council pastes into its own page: an iframe (or embed.js, which writes the iframe) showing the
centre's public information, phone-width and Japanese first. It is the one page of ours another site may frame:
X-Frame-Options is lifted and CSP frame-ancestors opened for it alone; it holds aggregates and what staff typed
for the public, never a person's data, and takes no input."""
from csp.decorators import csp_replace
from django.shortcuts import get_object_or_404, render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from ops.boards import labels, selectors
from ops.centres.models import Centre


@require_GET
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def widget(request, centre):
    centre = get_object_or_404(Centre, slug=centre)
    snapshot = selectors.public_snapshot(centre)
    return render(request, "boards/widget.html", {
        "board_centre": centre, "snapshot": snapshot, "info": labels.public_info(snapshot["centre"]),
    })
