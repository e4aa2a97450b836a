def axes_username(request, credentials):
    """The account a sign-in attempt was for, as django-axes counts failures against it.

    The user model signs in by email, so Django passes the address as ``email``; the form
    field is still called ``username``.
    """
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username")
    if value is None and request is not None:
        value = request.POST.get("username")
    return (value or "").strip().lower() or None
