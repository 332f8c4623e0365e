"""Handing a Message to a publisher: the google-cloud-pubsub client in production, the emulator's REST API locally.

A publisher is any callable with the signature of ``google.cloud.pubsub_v1.PublisherClient.publish``:
``publisher(topic_path, data, ordering_key="", **attributes)``. In production::

    from google.cloud import pubsub_v1
    client = pubsub_v1.PublisherClient(
        publisher_options=pubsub_v1.types.PublisherOptions(enable_message_ordering=True),
        # Ordering holds per region: publish one series through one regional endpoint.
        client_options={"api_endpoint": "europe-west1-pubsub.googleapis.com:443"},
    )
    future = publish(message, client.publish, project="my-project")
    future.result()  # the message ID; raises if the publish failed

After a failed publish the client pauses that ordering key: call
``client.resume_publish(topic_path, message.ordering_key)`` before publishing the key again.
"""
import base64
import json
import urllib.request


def topic_path(project, topic):
    return f"projects/{project}/topics/{topic}"


def publish(message, publisher, *, project):
    """Publishes one Message to its topic of `project`; returns what the publisher returns (a future for the
    google-cloud-pubsub client, the message ID for EmulatorPublisher)."""
    return publisher(
        topic_path(project, message.topic), message.data, ordering_key=message.ordering_key, **message.attributes
    )


class EmulatorPublisher:
    """A publisher over the Pub/Sub REST API (``POST /v1/projects/P/topics/T:publish``), standard library only.

    For the Pub/Sub emulator (``EmulatorPublisher(os.environ["PUBSUB_EMULATOR_HOST"])``), which needs no
    credentials; against the real service use the google-cloud-pubsub client, which authenticates, batches
    and retries.
    """

    def __init__(self, host, *, timeout_seconds=30):
        self.base = host if host.startswith(("http://", "https://")) else f"http://{host}"
        self.timeout_seconds = timeout_seconds

    def __call__(self, topic_path, data, ordering_key="", **attributes):
        entry = {"data": base64.b64encode(data).decode("ascii")}
        if ordering_key:
            entry["orderingKey"] = ordering_key
        if attributes:
            entry["attributes"] = attributes
        request = urllib.request.Request(
            f"{self.base}/v1/{topic_path}:publish",
            data=json.dumps({"messages": [entry]}).encode("utf-8"),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:
            return json.loads(response.read())["messageIds"][0]
