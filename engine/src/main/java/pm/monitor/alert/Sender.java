package pm.monitor.alert;

import java.util.concurrent.CompletableFuture;
import pm.monitor.store.DeliveryStore.Delivery;

/** Puts one delivery on its channel. Never blocks: the outcome comes through the future. */
interface Sender {

    /** What the receiver said: {@code status} is the HTTP or SMTP code where there is one. */
    record Outcome(boolean ok, Integer status, String error) {
        static Outcome ok(Integer status) {
            return new Outcome(true, status, null);
        }

        static Outcome failed(Integer status, String error) {
            return new Outcome(false, status, error);
        }
    }

    /** @param secret the destination's signing secret (DingTalk 加签), or null */
    CompletableFuture<Outcome> send(Delivery d, String secret, AlertParameters p);
}
