"""The headless command line: the office's batch tool and the end-to-end test surface."""
