-- A durable write through the incident use case: report an incident.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("ERMS_TOKEN")
wrk.body = '{"title":"基准测试：交易网关响应缓慢","category":"system-failure"}'
