#!/bin/sh
# Makes, once, in /certs: a CA, one broker key pair signed by it for kafka-1..3 and localhost
# (PKCS12 keystore), a truststore, the CA in PEM for OmniStream's clients, and client.properties
# for Kafka's own tools. Runs in the Kafka image (it has keytool); passwords come from the environment.
set -eu
cd /certs
[ -f ca.pem ] && exit 0
P="$KAFKA_KEYSTORE_PASSWORD"
SAN="SAN=dns:kafka-1,dns:kafka-2,dns:kafka-3,dns:localhost"
keytool -genkeypair -alias ca -dname "CN=OmniStream compose CA" -keyalg RSA -keysize 2048 -validity 825 \
  -ext bc:c -keystore ca.p12 -storetype PKCS12 -storepass "$P"
keytool -exportcert -rfc -alias ca -keystore ca.p12 -storepass "$P" > ca.pem
keytool -genkeypair -alias broker -dname "CN=kafka" -ext "$SAN" -keyalg RSA -keysize 2048 -validity 825 \
  -keystore broker.p12 -storetype PKCS12 -storepass "$P"
keytool -certreq -alias broker -keystore broker.p12 -storepass "$P" \
  | keytool -gencert -alias ca -keystore ca.p12 -storepass "$P" -ext "$SAN" -validity 825 -rfc > broker.pem
keytool -importcert -noprompt -alias ca -file ca.pem -keystore broker.p12 -storepass "$P"
keytool -importcert -alias broker -file broker.pem -keystore broker.p12 -storepass "$P"
keytool -importcert -noprompt -alias ca -file ca.pem -keystore truststore.p12 -storetype PKCS12 -storepass "$P"
cat > client.properties <<PROPERTIES
security.protocol=SASL_SSL
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="broker" password="$KAFKA_BROKER_PASSWORD";
ssl.truststore.location=/certs/truststore.p12
ssl.truststore.type=PKCS12
ssl.truststore.password=$P
PROPERTIES
rm ca.p12 broker.pem
chmod 0644 ca.pem truststore.p12 broker.p12 client.properties
