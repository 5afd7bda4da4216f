#!/usr/bin/python3
"""A channel backend in Python, with an Avro implementation nobody at OmniStream wrote (Debian's
python3-avro) and an independent Kafka client (python3-confluent-kafka): it publishes a detractor's
survey answer to omni.interactions.web and reads the callback action OmniStream sends back on
omni.actions.call-center, in either framing.

  interop.py single-object BOOTSTRAP CUSTOMER FINGERPRINTS_JSON
  interop.py confluent     BOOTSTRAP CUSTOMER REGISTRY_URL

single-object: Avro single-object encoding, the schemas' Parsing Canonical Forms and fingerprints
taken from `omnistream schemas fingerprints --json`. confluent: Confluent framing, the schemas
taken from the Schema Registry (the subject's latest version to write, the id to read). Prints the
action as one JSON line and exits 0; exits 1 with a reason otherwise.
"""
import datetime
import io
import json
import struct
import sys
import time
import urllib.request
import uuid

import avro.io
import avro.schema
from confluent_kafka import Consumer, Producer

EVENTS, ACTIONS = "omni.interactions.web", "omni.actions.call-center"
DEADLINE_S = 90


def fail(reason):
    print(f"interop.py: {reason}", file=sys.stderr)
    sys.exit(1)


def registry_get(base, path):
    with urllib.request.urlopen(base.rstrip("/") + path, timeout=10) as answer:
        return json.load(answer)


def encode(schema, datum):
    out = io.BytesIO()
    avro.io.DatumWriter(schema).write(datum, avro.io.BinaryEncoder(out))
    return out.getvalue()


def decode(schema, body):
    return avro.io.DatumReader(schema).read(avro.io.BinaryDecoder(io.BytesIO(body)))


def survey_answer(customer, logical):
    # With the registry's schema, python3-avro applies the logical types (datetime for timestamp-millis);
    # the Parsing Canonical Form has none, so the raw types are given.
    now = datetime.datetime.now(datetime.timezone.utc)
    at = now if logical else int(now.timestamp() * 1000)
    return {
        "eventId": str(uuid.uuid4()), "occurredAt": at, "receivedAt": at, "channel": "WEB",
        "subject": {"customerId": customer, "anonymousId": None, "deviceId": None},
        "sessionId": None, "traceParent": None,
        "payload": {"surveyId": "nps-python", "nps": 2, "ces": None, "comment": "written in Python"},
    }


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("single-object", "confluent"):
        fail(__doc__)
    mode, bootstrap, customer, source = sys.argv[1:]
    if mode == "single-object":
        rows = {r["name"].rsplit(".", 1)[1]: r for r in json.load(open(source)) if r["version"] == "current"}
        event_schema = avro.schema.parse(rows["InteractionEvent"]["canonical_form"])
        event_header = bytes.fromhex(rows["InteractionEvent"]["single_object_header"])
        action_schema = avro.schema.parse(rows["NextBestAction"]["canonical_form"])
        action_header = bytes.fromhex(rows["NextBestAction"]["single_object_header"])
        value = event_header + encode(event_schema, survey_answer(customer, logical=False))
    else:
        latest = registry_get(source, f"/subjects/{EVENTS}-value/versions/latest")
        event_schema = avro.schema.parse(latest["schema"])
        value = b"\x00" + struct.pack(">i", latest["id"]) + encode(event_schema, survey_answer(customer, logical=True))

    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True})
    delivered = []
    producer.produce(EVENTS, key=customer.encode(), value=value, on_delivery=lambda error, _: delivered.append(error))
    producer.flush(30)
    if delivered != [None]:
        fail(f"the event was not delivered: {delivered}")

    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"python-interop-{uuid.uuid4()}", "auto.offset.reset": "earliest",
                         "enable.auto.commit": False})
    consumer.subscribe([ACTIONS])
    deadline = time.time() + DEADLINE_S
    schemas_by_id = {}
    try:
        while time.time() < deadline:
            record = consumer.poll(1.0)
            if record is None or record.error() or record.key() != customer.encode():
                continue
            body = record.value()
            if body[:2] == b"\xc3\x01":
                if mode != "single-object" or body[:10] != action_header:
                    fail(f"the action's single-object header {body[:10].hex()} is not NextBestAction's")
                action = decode(action_schema, body[10:])
            elif body[:1] == b"\x00":
                schema_id = struct.unpack(">i", body[1:5])[0]
                if schema_id not in schemas_by_id:
                    schemas_by_id[schema_id] = avro.schema.parse(registry_get(source, f"/schemas/ids/{schema_id}")["schema"])
                action = decode(schemas_by_id[schema_id], body[5:])
            else:
                fail(f"the action starts with {body[:1].hex()}: neither framing")
            print(json.dumps({"framing": "single-object" if body[:1] == b"\xc3" else "confluent", "action": action}, default=str))
            return
    finally:
        consumer.close()
    fail(f"no action for {customer} on {ACTIONS} within {DEADLINE_S} s")


main()
