from tests.sweep import Param


def _branch_item(w):
    """A published item of 支部A meant for 支部A only: admin_a reaches it, nobody else."""
    def make():
        from dangshi.learning.models import LearningColumn
        from tests.learning.conftest import publish

        column, _ = LearningColumn.objects.get_or_create(code="stories", defaults={"name": "党史小故事", "kind": "story"})
        return publish(w, column, "支部A的学习材料", org=w.branch_a, audience_path=w.branch_a.path).pk

    return w.once("learning_item", make)


def _branch_item_with_audio(w):
    """The same item with a broadcast recording uploaded by the office."""
    def make():
        from dangshi.learning.models import Item
        from dangshi.learning.services.channels import item_audio_set
        from dangshi.orgs.scope import scope_for
        from tests.learning.audio import upload, wav_bytes

        item = Item.objects.select_related("org").get(pk=_branch_item(w))
        item_audio_set(scope=scope_for(w.users["office"]), actor=w.users["office"], item=item,
                       file=upload("sweep.wav", wav_bytes(1.0)))
        return item.pk

    return w.once("learning_item_audio", make)


def _push(w):
    def make():
        from dangshi.learning.models import Item
        from dangshi.learning.services.channels import push_send
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


def _rule(w):
    """A point rule: campaign-wide, so only the office reaches its edit page."""
    def make():
        from dangshi.learning.models import PointRule

        return PointRule.objects.get_or_create(code="read", defaults={"name": "阅读学习内容", "points": 1})[0].pk

    return w.once("learning_rule", make)


def _offline(w):
    """An offline activity reported by member_a (支部A), waiting for the branch."""
    def make():
        from datetime import date

        from dangshi.learning.services.reading import offline_report

        return offline_report(member=w.members["member_a"], kind="film", title="《建党伟业》",
                              day=date(2021, 5, 9), today=date(2021, 5, 10)).pk

    return w.once("learning_offline", make)


PARAMS = {
    "item_id": Param(_branch_item),
    "push_id": Param(_push),
    "playlist_id": Param(_playlist),
    "rule_id": Param(_rule, owner="office"),
    "offline_id": Param(_offline),
}
ROUTES = {
    "learning:console_import_report": {"token": Param(lambda w: "expired-token", owner=None)},
    "learning:h5_item_audio": {"item_id": Param(_branch_item_with_audio)},
    "learning_feed": {"column_code": Param(lambda w: "today", owner=None)},
    "learning_feed_atom": {"column_code": Param(lambda w: "today", owner=None)},
}
PUBLIC = {"learning_feed", "learning_feed_atom"}
