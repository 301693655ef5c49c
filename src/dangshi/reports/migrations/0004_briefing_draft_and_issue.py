# Briefings: the draft stage (texts, signer, generated and issued times, the archived PDF) and quarterly summaries.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0003_briefing_series'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='briefing',
            name='generated_at',
            field=models.DateTimeField(null=True, verbose_name='生成时间'),
        ),
        migrations.AddField(
            model_name='briefing',
            name='issued_at',
            field=models.DateTimeField(null=True, verbose_name='签发时间'),
        ),
        migrations.AddField(
            model_name='briefing',
            name='issued_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='briefing',
            name='pdf',
            field=models.FileField(blank=True, upload_to='reports/briefings/'),
        ),
        migrations.AddField(
            model_name='briefing',
            name='signer',
            field=models.CharField(blank=True, max_length=40, verbose_name='签发人'),
        ),
        migrations.AddField(
            model_name='briefing',
            name='status',
            field=models.CharField(choices=[('draft', '草稿'), ('issued', '已签发')], default='draft', max_length=8, verbose_name='状态'),
        ),
        migrations.AddField(
            model_name='briefing',
            name='texts',
            field=models.JSONField(default=dict),
        ),
        migrations.AlterField(
            model_name='briefing',
            name='kind',
            field=models.CharField(choices=[('week', '周'), ('month', '月'), ('qtr', '季度')], max_length=5, verbose_name='类别'),
        ),
        migrations.AlterField(
            model_name='rollupbuild',
            name='kind',
            field=models.CharField(choices=[('week', '周'), ('month', '月'), ('qtr', '季度')], max_length=5),
        ),
    ]
