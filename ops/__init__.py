"""The operations domain of a disaster volunteer centre, one Django app per part of the centre's day:

centres (the centre, its bases, staff roles, the event log), needs (ニーズ受付), volunteers (受付・出欠),
dispatch (班編成・送り出し・活動報告・資機材), reports (日報), boards (live status boards).
"""
