-- A read that signs in by token and loads the user and their groups.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("ERMS_TOKEN")
