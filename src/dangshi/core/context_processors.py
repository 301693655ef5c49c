from django.apps import apps
from django.urls import NoReverseMatch, reverse


def _allowed(audience: str, scope) -> bool:
    return {
        "office": scope.is_office,
        "admin": scope.is_admin,
        "staff": scope.is_admin or scope.is_lecturer,
        "member": scope.is_member,
    }.get(audience, False)


def shell(request):
    """Navigation for the console and the member H5, gathered from each app's AppConfig
    (`console_nav` / `member_nav`: (label, url name, audience)), filtered by role."""
    scope = getattr(request, "scope", None)
    if scope is None or not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    console, member = [], []
    for config in apps.get_app_configs():
        entries = []
        for label, name, audience in getattr(config, "console_nav", ()):
            if _allowed(audience, scope):
                try:
                    entries.append((label, reverse(name)))
                except NoReverseMatch:
                    continue
        if entries:
            console.append((config.verbose_name, entries))
        for label, name, audience in getattr(config, "member_nav", ()):
            if _allowed(audience, scope):
                try:
                    member.append((label, reverse(name)))
                except NoReverseMatch:
                    continue
    return {"console_nav": console, "member_nav": member, "scope": scope}
