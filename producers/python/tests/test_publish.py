"""The hand-off to a publisher: the exact call the google-cloud-pubsub client receives, and the REST request the
emulator publisher sends (to a local HTTP server standing in for the emulator)."""
import base64
import datetime as dt
import http.server
import json
import threading
import unittest

import liftwatch_producer as lp

WINDOW_END = dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.timezone.utc)


class PublishTest(unittest.TestCase):
    def test_calls_the_publisher_as_publisher_client_publish_is_called(self):
        calls = []

        def publisher(topic, data, ordering_key="", **attributes):
            calls.append((topic, data, ordering_key, attributes))
            return "future"

        message = lp.prediction_batch(
            "m", "v1", WINDOW_END, [0.1], segment={"market": "se"}, attributes={"producer": "job"}
        )
        self.assertEqual(lp.publish(message, publisher, project="my-project"), "future")
        self.assertEqual(
            calls, [("projects/my-project/topics/predictions", message.data, "m/v1/market=se", {"producer": "job"})]
        )

    def test_the_emulator_publisher_posts_base64_data_and_the_ordering_key(self):
        received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                received.append((self.path, json.loads(self.rfile.read(int(self.headers["Content-Length"])))))
                body = json.dumps({"messageIds": ["42"]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            batch = lp.prediction_batch("m", "v1", WINDOW_END, [0.1, 0.2], segment={"market": "se"})
            baseline = lp.baseline("m", "v1", [0.1, 0.2])
            publisher = lp.EmulatorPublisher(f"127.0.0.1:{server.server_port}")
            self.assertEqual(lp.publish(batch, publisher, project="p"), "42")
            self.assertEqual(lp.publish(baseline, publisher, project="p"), "42")
        finally:
            server.shutdown()
            server.server_close()
        data = [base64.b64encode(message.data).decode() for message in (batch, baseline)]
        self.assertEqual(
            received,
            [
                (
                    "/v1/projects/p/topics/predictions:publish",
                    {"messages": [{"data": data[0], "orderingKey": "m/v1/market=se"}]},
                ),
                ("/v1/projects/p/topics/baselines:publish", {"messages": [{"data": data[1]}]}),
            ],
        )


if __name__ == "__main__":
    unittest.main()
