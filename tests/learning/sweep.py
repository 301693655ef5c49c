from tests.sweep import Param


def _branch_item(w):
    """A published item of 支部A meant for 支部A only: admin_a reaches it, nobody else."""
    def make():
        from dangshi.learning.models import LearningColumn
        from tests.learning.conftest import publish

        column, _ = LearningColumn.objects.get_or_create(code="stories", defaults={"name": "党史小故事", "kind": "story"})
        return publish(w, column, "支部A的学习材料", org=w.branch_a, audience_path=w.branch_a.path).pk

    return w.once("learning_item", make)


def _push(w):
    def make():
        from dangshi.learning.channels import push_send
        from dangshi.learning.models import Item
        from dangshi.orgs.scope import scope_for

        item = Item.objects.get(pk=_branch_item(w))
        return push_send(scope=scope_for(w.users["admin_a"]), actor=w.users["admin_a"], item=item, org=w.branch_a).pk

    return w.once("learning_push", make)


def _playlist(w):
    def make():
        from datetime import date

        from dangshi.learning.models import Playlist

        return Playlist.objects.create(org=w.branch_a, day=date(2021, 5, 10)).pk

    return w.once("learning_playlist", make)


PARAMS = {
    "item_id": Param(_branch_item),
    "push_id": Param(_push),
    "playlist_id": Param(_playlist),
}
ROUTES = {
    "learning:console_import_report": {"token": Param(lambda w: "expired-token", owner=None)},
    "learning_feed": {"column_code": Param(lambda w: "today", owner=None)},
}
PUBLIC = {"learning_feed"}
