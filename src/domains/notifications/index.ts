/** Notifications: failures and health changes, aggregated per connection, code and minute. */
export {
  createNotificationService,
  type NotificationEvent,
  type NotificationService,
} from './notification.service.ts';
