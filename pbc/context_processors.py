from django.conf import settings

from . import navigation


def service(request):
    # A request refused before the authentication middleware ran (a forbidden host) has no user.
    user = getattr(request, "user", None)
    return {
        "service_name": settings.SERVICE_NAME,
        "commissioner_word": settings.COMMISSIONER_WORD,
        "single_sign_on": getattr(settings, "OIDC_PROVIDER_NAME", "")
        if settings.OIDC_RP_CLIENT_ID
        else "",
        "navigation_items": navigation.items_for(request)
        if user is not None and user.is_authenticated
        else [],
    }
