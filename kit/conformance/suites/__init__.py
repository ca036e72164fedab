"""The conformance suites, one package each (`ethdev/`, `mempool/`), run by kit.conformance.runner in their own
pytest process with suites/pytest.ini."""
