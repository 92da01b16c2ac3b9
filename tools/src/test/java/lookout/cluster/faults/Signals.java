package lookout.cluster.faults;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

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
        Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).redirectErrorStream(true).start();
        String output = new String(kill.getInputStream().readAllBytes());
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill " + signal + " " + pid + " failed: " + output.strip());
        }
    }
}
