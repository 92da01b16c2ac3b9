package lookout.cluster.faults;

import java.io.IOException;

import lookout.cluster.Command;

/**
 * SIGSTOP and SIGCONT for a child process: a stopped process keeps its sockets open and answers nothing, as a host
 * behind a network partition does, and it resumes where it stopped (Java can send only SIGTERM and SIGKILL).
 */
final class Signals {
    private Signals() {}

    static void stop(long pid) throws IOException, InterruptedException {
        send("-STOP", pid);
    }

    static void resume(long pid) throws IOException, InterruptedException {
        send("-CONT", pid);
    }

    private static void send(String signal, long pid) throws IOException, InterruptedException {
        Command.run("kill", signal, Long.toString(pid));
    }
}
