from tests.seed_report import REPO_COPY, shared_seed_path


def test_the_repository_copy_of_the_seed_is_verbatim():
    shared = shared_seed_path()
    assert REPO_COPY.is_file()
    if shared is not None:  # CI lays shared/ beside the clone
        assert REPO_COPY.read_bytes() == shared.read_bytes()
