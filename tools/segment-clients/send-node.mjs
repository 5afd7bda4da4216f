// A visitor's journey sent with Segment's Node.js library (@segment/analytics-node) to an OmniStream
// gateway: a page, a product put in the cart while anonymous, then the login (identify) and the
// consent to marketing on the web. Exits 0 once the gateway acknowledged every call, 1 otherwise.
// Settings from the environment: OMNISTREAM_GATEWAY (http://host:port), SEGMENT_WRITE_KEY, VISITOR, CUSTOMER.
import { Analytics } from '@segment/analytics-node';

const { OMNISTREAM_GATEWAY: host, SEGMENT_WRITE_KEY: writeKey, VISITOR: anonymousId, CUSTOMER: userId } = process.env;
if (!host || !writeKey || !anonymousId || !userId) {
  console.error('send-node: OMNISTREAM_GATEWAY, SEGMENT_WRITE_KEY, VISITOR and CUSTOMER are required');
  process.exit(2);
}

const analytics = new Analytics({ writeKey, host, path: '/v1/batch', flushAt: 10, flushInterval: 200, maxRetries: 3 });
const failures = [];
analytics.on('error', (error) => failures.push(String(error?.reason ?? error?.message ?? error)));

const sent = (call) => new Promise((resolve) => call((error) => { if (error) failures.push(String(error.reason ?? error.message ?? error)); resolve(); }));
await Promise.all([
  sent((done) => analytics.page({ anonymousId, name: 'Boots', properties: { path: '/boots', url: 'https://shop.example/boots' } }, done)),
  sent((done) => analytics.track({
    anonymousId, event: 'Product Added',
    properties: { cart_id: `cart-${anonymousId}`, product_id: 'sku-boots', name: 'Boots', price: 89.9, quantity: 1, currency: 'EUR' },
  }, done)),
  sent((done) => analytics.identify({ userId, anonymousId, traits: { name: 'Anna', plan: 'gold' } }, done)),
  sent((done) => analytics.track({ userId, event: 'Consent Changed', properties: { purpose: 'MARKETING', consent_channel: 'WEB', granted: true } }, done)),
]);
await analytics.closeAndFlush({ timeout: 30000 });

if (failures.length > 0) {
  console.error(`send-node: ${failures.length} call(s) not delivered: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('send-node: 4 calls delivered');
