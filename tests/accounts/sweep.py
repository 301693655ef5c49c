from tests.sweep import Param

ROUTES = {"api:token_delete": {"prefix": Param(lambda w: "nosuchtk", owner=None)}}
