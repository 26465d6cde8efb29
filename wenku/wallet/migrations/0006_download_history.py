# FreeDownload becomes DownloadRecord: the member's download history, paid
# downloads too. Existing rows were free downloads.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("wallet", "0005_recharge_cancelled"),
    ]

    operations = [
        migrations.RenameModel(old_name="FreeDownload", new_name="DownloadRecord"),
        migrations.AlterModelOptions(
            name="downloadrecord",
            options={"verbose_name": "下载记录", "verbose_name_plural": "下载记录"},
        ),
        migrations.AddField(
            model_name="downloadrecord",
            name="kind",
            field=models.CharField(
                choices=[
                    ("free", "免费下载"),
                    ("bought", "已购买"),
                    ("own", "本人上传"),
                    ("staff", "管理员"),
                ],
                default="free",
                max_length=10,
                verbose_name="方式",
            ),
        ),
    ]
