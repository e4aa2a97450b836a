from django.conf import settings

from . import navigation


def service(request):
    return {
        "service_name": settings.SERVICE_NAME,
        "commissioner_word": settings.COMMISSIONER_WORD,
        "navigation_items": navigation.items_for(request) if request.user.is_authenticated else [],
    }
