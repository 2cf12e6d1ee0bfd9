"""Import 国土交通省 位置参照情報 files (街区レベル / 大字・町丁目レベル, .csv or .zip) for the offline address
search: `manage.py import_addresses 20000-21.0a.zip 20201-17.0b.zip`. The same as the administrators' page."""
import time

from django.core.management.base import BaseCommand, CommandError

from mapping.addresses.importer import AddressFileError, import_path


class Command(BaseCommand):
    help = "Import 位置参照情報 address files (block or town level, CSV or zip, cp932 or UTF-8)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+")

    def handle(self, *args, files, **options):
        for path in files:
            started = time.perf_counter()
            try:
                done = import_path(path)
            except (AddressFileError, OSError) as err:
                raise CommandError(str(err)) from err
            seconds = time.perf_counter() - started
            for source in done:
                self.stdout.write(f"{source.prefecture}{source.city} ({source.level}): {source.rows} rows")
            self.stdout.write(f"{path}: {sum(s.rows for s in done)} rows in {seconds:.1f} s")
