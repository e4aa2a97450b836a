from django.urls import reverse

from pbc import navigation


@navigation.register
def plans_menu(request):
    return [{"text": "Plans", "href": reverse("plan_list")}]
