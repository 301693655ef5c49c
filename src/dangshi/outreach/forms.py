"""Input forms: parse and type-check only; the rules live in services."""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangshi.outreach import selectors
from dangshi.outreach.models import ActivityKind, LectureGroup, LecturerKind, VenueKind


class MultiFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiFileField(forms.FileField):
    widget = MultiFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultiFileField, self).clean(f, initial) for f in files]


class SessionForm(forms.Form):
    org = forms.ModelChoiceField(label=_("主办组织"), queryset=None, to_field_name="code")
    starts_at = forms.DateTimeField(label=_("宣讲时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    venue_kind = forms.ModelChoiceField(label=_("宣讲阵地"), queryset=VenueKind.objects.filter(active=True), empty_label=None)
    place = forms.CharField(label=_("地点"), max_length=120)
    topic = forms.CharField(label=_("宣讲主题"), max_length=200)
    lecturers = forms.ModelMultipleChoiceField(
        label=_("宣讲员(本组织及下级、包干宣讲组、上级单位的宣讲员)"), queryset=None, required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        error_messages={"invalid_choice": _("宣讲员不在该主办组织的可选范围内:%(value)s")})
    covered_orgs = forms.ModelMultipleChoiceField(label=_("覆盖组织(可多选,空则为主办组织)"), queryset=None, required=False,
                                                  to_field_name="code", widget=forms.SelectMultiple(attrs={"size": 6}))
    audience_offline = forms.IntegerField(label=_("现场听众(人次)"), min_value=0, initial=0)
    audience_online = forms.IntegerField(label=_("线上观看(人次)"), min_value=0, initial=0)
    online_platform = forms.CharField(label=_("线上平台"), max_length=60, required=False)
    photos = MultiFileField(label=_("现场照片"), required=False,
                            widget=MultiFileInput(attrs={"accept": "image/*", "capture": "environment"}))
    attachments = MultiFileField(label=_("附件"), required=False)

    def __init__(self, *args, scope, keep_lecturers=(), **kwargs):
        """`keep_lecturers`: ids already on the session being edited, kept on offer."""
        super().__init__(*args, **kwargs)
        orgs = selectors.loggable_orgs(scope=scope)
        self.fields["org"].queryset = orgs
        self.fields["org"].widget.attrs.update({  # the lecturer list follows the host org
            "hx-get": reverse("outreach:console_session_lecturers"), "hx-target": "#id_lecturers", "hx-trigger": "change"})
        self.fields["covered_orgs"].queryset = orgs.filter(grassroots=True)
        if not self.is_bound:
            self.fields["starts_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
            first = scope.home_org or orgs.first()  # a lecturer has no home org: the first org they log for
            if first is not None:
                self.fields["org"].initial = first.code
        self.fields["lecturers"].queryset = selectors.lecturer_choices(org=self._host(orgs), keep=keep_lecturers)
        self.fields["lecturers"].label_from_instance = lecturer_label

    def _host(self, orgs):
        """The host org the lecturer choices follow: the posted one, else the initial one."""
        if self.is_bound:
            code = self.data.get(self.add_prefix("org"))
        else:
            code = self.initial.get("org") or self.fields["org"].initial
        return orgs.filter(code=code).first() if code else None


def lecturer_label(lecturer) -> str:
    """A lecturer in the choice list, with where they come from (their group when the group's
    zone is why they are offered)."""
    where = lecturer.group.name if getattr(lecturer, "rank", 0) == 1 and lecturer.group else lecturer.org.name
    return f"{lecturer.name}({where})"


class ActivityForm(forms.Form):
    org = forms.ModelChoiceField(label=_("组织单位"), queryset=None, to_field_name="code")
    kind = forms.ChoiceField(label=_("活动类型"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("活动名称"), max_length=200)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("结束时间"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    place = forms.CharField(label=_("地点"), max_length=120, required=False)
    signin_minutes = forms.IntegerField(label=_("签到窗口(开始前后分钟)"), min_value=5, max_value=720, initial=30)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = scope.orgs().order_by("path")
        if not self.is_bound and scope.home_org is not None:
            self.fields["org"].initial = scope.home_org.code


class LecturerForm(forms.Form):
    org = forms.ModelChoiceField(label=_("聘任单位"), queryset=None, to_field_name="code")
    name = forms.CharField(label=_("姓名"), max_length=50)
    kind = forms.ChoiceField(label=_("类别"), choices=LecturerKind.choices)
    title = forms.CharField(label=_("职务职称"), max_length=80, required=False)
    specialty = forms.CharField(label=_("宣讲专长"), max_length=200, required=False)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = scope.orgs().order_by("path")
        if not self.is_bound and scope.home_org is not None:
            self.fields["org"].initial = scope.home_org.code


class GroupForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=80)
    parent = forms.ModelChoiceField(label=_("上级宣讲团"), queryset=None, required=False)
    zone = forms.ModelMultipleChoiceField(label=_("包干片区(基层党组织,可多选)"), queryset=None, required=False,
                                          to_field_name="code", widget=forms.SelectMultiple(attrs={"size": 10}))

    def __init__(self, *args, scope, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = scope.filter(LectureGroup.objects.filter(campaign=campaign), org_field="org")
        self.fields["zone"].queryset = scope.orgs().filter(grassroots=True).order_by("path")
