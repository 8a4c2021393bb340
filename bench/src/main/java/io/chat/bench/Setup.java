package io.chat.bench;

/**
 * {@code Setup FRONT_DOOR CHATS}: creates the benchmark's application and its chats 1..CHATS through
 * the front door, and prints the application's token.
 */
public final class Setup {

    private Setup() {
    }

    public static void main(String[] args) {
        String frontDoor = args[0];
        int chats = Integer.parseInt(args[1]);
        Api api = new Api(frontDoor, Api.createApplication(frontDoor, "bench"));
        for (int expected = 1; expected <= chats; expected++) {
            int number = api.createChat();
            if (number != expected) {
                throw new IllegalStateException("created chat " + number + ", expected " + expected);
            }
        }
        System.out.println(api.token());
    }
}
