import { mockServices } from '@backstage/backend-test-utils';
import {
  ChangeNotifier,
  RESOURCE_CHANGED_TOPIC,
  RESOURCE_SIGNAL_CHANNEL,
} from './ChangeNotifier';

describe('ChangeNotifier', () => {
  it('writes an auditor event, publishes the events topic and a signal, and never throws', async () => {
    const success = jest.fn();
    const auditor = mockServices.auditor.mock({
      createEvent: jest.fn(async () => ({ success, fail: jest.fn() })),
    });
    const events = { publish: jest.fn(async () => {}), subscribe: jest.fn() };
    const signals = { publish: jest.fn(async () => { throw new Error('signals down'); }) };
    const logger = mockServices.logger.mock();
    const notifier = new ChangeNotifier({ auditor, events, signals, logger });
    await notifier.notify({
      id: 'r1', name: 'orders-db', type: 'postgresql', owner: 'group:default/orders-team',
      eventId: 'resource-transition', actor: 'plugin:provisioning', fromState: 'provisioning',
      toState: 'ready', message: 'Ready',
    });
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'resource-transition',
        meta: expect.objectContaining({ resourceId: 'r1', fromState: 'provisioning', toState: 'ready' }),
      }),
    );
    expect(success).toHaveBeenCalled();
    expect(events.publish).toHaveBeenCalledWith({ topic: RESOURCE_CHANGED_TOPIC, eventPayload: { id: 'r1' } });
    expect(signals.publish).toHaveBeenCalledWith({
      recipients: { type: 'broadcast' },
      channel: RESOURCE_SIGNAL_CHANNEL,
      message: { id: 'r1', eventId: 'resource-transition', state: 'ready' },
    });
    expect(logger.warn).toHaveBeenCalledWith('Publishing signal failed: signals down');
  });
});
