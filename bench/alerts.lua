-- alerts.lua - the alert load of bench/alerts.sh, for erms or Alertmanager.
--
-- ALERTS_TARGET: erms (an Alertmanager webhook payload, version 4, posted
--   to an integration's intake URL, one fixed groupKey) or alertmanager
--   (POST /api/v2/alerts, a JSON array of alerts);
-- ALERTS_MODE: single (one new alert a request: a new label set, so a new
--   fingerprint, every time), repeat (one alert a request, from the same
--   ALERTS_SETS label sets again and again) or batch (ALERTS_BATCH new
--   alerts a request).
-- Every alert is of one group (alertname="BenchStorm"); the labels of a
-- new alert differ by instance, which names wrk's thread and a counter.
local target = os.getenv("ALERTS_TARGET") or "erms"
local mode = os.getenv("ALERTS_MODE") or "single"
local batch = tonumber(os.getenv("ALERTS_BATCH") or "100")
local sets = tonumber(os.getenv("ALERTS_SETS") or "10")
local run = os.getenv("ALERTS_RUN") or "0"

local threads = 0
function setup(thread)
	threads = threads + 1
	thread:set("tid", threads)
end

local stamp, n, head, tail
function init(args)
	stamp = os.date("!%Y-%m-%dT%H:%M:%SZ")
	n = 0
	if target == "erms" then
		head = '{"version":"4","groupKey":"{}:{alertname=\\"BenchStorm\\"}",' ..
			'"truncatedAlerts":0,"status":"firing","receiver":"erms",' ..
			'"groupLabels":{"alertname":"BenchStorm"},' ..
			'"commonLabels":{"alertname":"BenchStorm","job":"bench","severity":"critical"},' ..
			'"commonAnnotations":{},"externalURL":"http://127.0.0.1:9093","alerts":['
		tail = ']}'
	else
		head = '['
		tail = ']'
	end
	wrk.method = "POST"
	wrk.headers["Content-Type"] = "application/json"
end

-- One alert: instance names the label set, fp its fingerprint (erms is
-- given one, as Alertmanager's webhook gives it).
local function alert(instance, fp)
	local labels = '{"alertname":"BenchStorm","instance":"' .. instance ..
		'","job":"bench","severity":"critical"}'
	local a = '{"labels":' .. labels ..
		',"annotations":{"summary":"bench alert ' .. instance .. '"},' ..
		'"startsAt":"' .. stamp .. '",' ..
		'"generatorURL":"http://127.0.0.1:9090/graph"'
	if target == "erms" then
		a = a .. ',"status":"firing","endsAt":"0001-01-01T00:00:00Z",' ..
			'"fingerprint":"' .. fp .. '"'
	end
	return a .. '}'
end

local function new_alert()
	n = n + 1
	return alert(string.format("host-%s-%d-%d", run, tid, n),
		string.format("%08x%02x%06x", tonumber(run) % 0x100000000, tid, n))
end

function request()
	local body
	if mode == "repeat" then
		n = n + 1
		local k = n % sets
		body = head .. alert("host-" .. k, string.format("%016x", k + 1)) .. tail
	elseif mode == "batch" then
		local parts = {}
		for i = 1, batch do
			parts[i] = new_alert()
		end
		body = head .. table.concat(parts, ",") .. tail
	else
		body = head .. new_alert() .. tail
	end
	return wrk.format(nil, nil, nil, body)
end
