"""What boards know of a partner job: carried in events and snapshots. The organisation's name (a body, not a
person), the work, the status and the date; never the resident's data or the organisation's people."""


def job_state(job) -> dict:
    return {
        "id": job.pk,
        "need_id": job.need_id,
        "organisation": job.organisation.name,
        "work_type": job.work_type.code if job.work_type_id else None,
        "work": job.work_label(),
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "scheduled_for": job.scheduled_for.isoformat() if job.scheduled_for else None,
        # as every board writes a day (7/24): the same in either language
        "scheduled_label": f"{job.scheduled_for.month}/{job.scheduled_for.day}" if job.scheduled_for else None,
        "outcome": job.outcome,
    }
