"""Every environment variable settings.py reads is listed in docs/deploy.md (issue 13)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_read_from_the_environment_is_in_the_deploy_docs():
    source = (ROOT / "src/dangshi/settings.py").read_text()
    names = set(re.findall(r'env_(?:str|int|bool|list|float)\(\s*"([A-Z0-9_]+)"', source))
    documented = set(re.findall(r"`([A-Z0-9_]+)`", (ROOT / "docs/deploy.md").read_text()))
    assert len(names) > 20
    assert sorted(names - documented) == []


def test_apps_read_settings_only_through_django_settings():
    """No app reads the environment or an undeclared setting with a default of its own."""
    offenders = []
    for path in (ROOT / "src/dangshi").rglob("*.py"):
        if path.name in {"settings.py", "env.py", "cli.py", "wsgi.py", "asgi.py"} or "migrations" in path.parts:
            continue
        text = path.read_text()
        # {**os.environ}: the environment handed on to a child process (pg_dump), not a setting read.
        if re.search(r"getattr\(settings,|os\.environ(?!\})|os\.getenv|env_(str|int|bool|list|float)\(",
                     text.replace("{**os.environ}", "")):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
