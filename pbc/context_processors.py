from django.conf import settings

from . import navigation
from .security import signed_out, unsent


def service(request):
    # A request refused before the authentication middleware ran (a forbidden host) has no user.
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "service_name": settings.SERVICE_NAME,
        "commissioner_word": settings.COMMISSIONER_WORD,
        "single_sign_on": getattr(settings, "OIDC_PROVIDER_NAME", "")
        if settings.OIDC_RP_CLIENT_ID
        else "",
        "navigation_items": navigation.items_for(request) if signed_in else [],
        # Said on every page but its own until the person sends it again or discards it.
        "unsent_waiting": signed_in
        and getattr(request.resolver_match, "url_name", None) != "unsent"
        and unsent.kept(request) is not None,
        # Said by the sign-in and second-step pages (registration/_unsaved_callout.html).
        "unsaved_post": signed_out.unsaved_post(request),
    }
