

def test_submissions_person_delete_needs_yes_then_erases(round_2024):
    from django.core.management import CommandError

    item, _ = intake.store_raw(round_2024, Channel.EMAIL, synthetic_mail())
    intake.process_item(item)
    with pytest.raises(CommandError, match="--yes"):
        call_command("submissions", "person-delete", "--email", "kari@example.org")
    assert Submission.objects.get().email == "kari@example.org"
    out = StringIO()
    call_command("submissions", "person-delete", "--email", "kari@example.org", "--yes", stdout=out)
    assert out.getvalue().strip() == "erased: 1"
    assert Submission.objects.get().email == ""
