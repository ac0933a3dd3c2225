"""A gradio console for local development (`make gradio`, `assistant gradio`): the conversation in gradio's
chat, on this machine only. Not part of the public app: gradio's index page names gradio in meta tags it
hard-codes (og:url gradio.app, twitter:creator @teamGradio), in its element names and its config script,
none of which it lets an app change; the public pages are the web package's templates."""

import logging
import os
from importlib.resources import files
from typing import Literal

from assistant.errors import AssistantError
from assistant.settings import Settings
from assistant.web import render
from assistant.web.errors import INTERNAL_DA, ApiError, assistant_error, too_many_requests
from assistant.web.ratelimit import client_address
from assistant.web.routes.pages import load_examples
from assistant.web.schemas import MAX_HISTORY
from assistant.web.server import is_loopback
from assistant.web.service import WebService

logger = logging.getLogger(__name__)

ALL_POOLS = "alle"  # the page's "Alle puljer" choice


def build_console(service: WebService):
    import gradio as gr

    bits = render.environment().get_template("applicant_bits.html.j2").module

    examples = load_examples()
    n_examples = 4

    def pool_of(choice: str | None) -> str | None:
        return None if not choice or choice == ALL_POOLS else choice

    def pool_note(choice: str | None) -> str:
        pool = pool_of(choice)
        if not service.ready:
            return str(bits.starting())
        if pool is None:
            return str(bits.all_pools())
        info = next((p for p in service.pools() if p.pool == pool), None)
        if info is None or info.deadline is None:
            return ""
        return str(bits.deadline(info.deadline.display, info.deadline_passed))

    def example_updates(choice: str | None) -> list:
        questions = examples.get(pool_of(choice) or "", [])[:n_examples]
        return [
            gr.Button(value=questions[i], visible=True) if i < len(questions) else gr.Button(visible=False)
            for i in range(n_examples)
        ]

    def on_load():
        choices = [("Alle puljer", ALL_POOLS)]
        if service.ready:
            choices += [(p.name, p.pool) for p in service.pools()]
        return [gr.Dropdown(choices=choices, value=ALL_POOLS), pool_note(ALL_POOLS), *example_updates(ALL_POOLS)]

    def on_pool(choice: str | None):
        return [pool_note(choice), *example_updates(choice)]

    def status_html(text: str, error: bool = False) -> str:
        return str(bits.status(text, error))

    def respond(question: str, choice: str | None, chat: list | None, history: list | None, request: gr.Request):
        chat, history = list(chat or []), list(history or [])
        question = question or ""

        def refused(message: str) -> tuple:  # the question stays in the box, the chat as it was
            return question, chat, history, gr.skip(), gr.skip(), gr.skip(), status_html(message, True)

        if not question.strip():
            return refused("Skriv et spørgsmål først.")
        peer = request.client.host if request is not None and request.client else None
        forwarded = request.headers.get("x-forwarded-for") if request is not None else None
        client = client_address(peer, forwarded, service.settings.trusted_proxies)
        retry_after = service.ask_limit.hit(client)
        if retry_after is not None:
            return refused(too_many_requests(retry_after).message_da)
        try:
            response = service.ask(question, pool_of(choice), history, channel="console", client=client)
        except ApiError as exc:
            return refused(exc.message_da)
        except AssistantError as exc:
            mapped = assistant_error(exc)
            if mapped.status >= 500:
                logger.error("applicant page: %s", type(exc).__name__, exc_info=exc)
            return refused(mapped.message_da)
        except Exception:
            logger.exception("applicant page: unexpected error")
            return refused(INTERNAL_DA)
        chat += [
            {"role": "user", "content": render.user_message_html(question)},
            {"role": "assistant", "content": render.answer_html(response)},
        ]
        history = (
            history + [{"role": "user", "content": question}, {"role": "assistant", "content": response.answer}]
        )[-MAX_HISTORY:]
        done = (
            "Svaret er klar. Kilderne står under svaret."
            if not response.abstained
            else "Svaret blev ikke fundet i vejledningerne."
        )
        return (
            "",
            chat,
            history,
            response.answer_id,
            gr.Button(interactive=True),
            gr.Button(interactive=True),
            status_html(done),
        )

    def vote(answer_id: str | None, direction: Literal["up", "down"]):
        if not answer_id:
            return status_html("Stil et spørgsmål, før du vurderer svaret.", True), gr.skip(), gr.skip()
        try:
            service.feedback(answer_id, direction, None)
        except (ApiError, AssistantError):
            return status_html("Vurderingen kunne ikke gemmes.", True), gr.skip(), gr.skip()
        return (
            status_html("Tak for din vurdering. Den hjælper os med at forbedre vejledningerne."),
            gr.Button(interactive=False),
            gr.Button(interactive=False),
        )

    def reset():
        return (
            [],
            [],
            None,
            gr.Button(interactive=False),
            gr.Button(interactive=False),
            status_html("Ny samtale startet."),
        )

    with gr.Blocks(
        title="Tilskudsassistenten – spørg om puljernes vejledninger", analytics_enabled=False, fill_width=False
    ) as page:
        gr.HTML(render.render("applicant_intro.html.j2", retention_days=service.settings.retention_days))
        pool = gr.Dropdown(
            label="Pulje",
            choices=[("Alle puljer", ALL_POOLS)],
            value=ALL_POOLS,
            elem_id="pulje",
            interactive=True,
            filterable=False,
        )
        note = gr.HTML(elem_id="puljeinfo")
        chatbot = gr.Chatbot(
            label="Samtale med Tilskudsassistenten",
            elem_id="samtale",
            height=460,
            feedback_options=None,
            buttons=[],
            latex_delimiters=[],
            sanitize_html=True,
            render_markdown=True,
            group_consecutive_messages=False,
            placeholder="Svarene vises her med kilder fra vejledningerne.",
        )
        # lines=1: Enter sends (gradio's multi-line boxes send on Shift+Enter); the box grows to max_lines.
        question = gr.Textbox(
            label="Dit spørgsmål",
            elem_id="spoergsmaal",
            lines=1,
            max_lines=6,
            max_length=2000,
            placeholder="Skriv dit spørgsmål, fx: Hvornår er ansøgningsfristen?",
            info="Tryk Enter eller knappen for at sende.",
        )
        with gr.Row():
            send = gr.Button("Send spørgsmål", variant="primary", elem_id="send")
            new = gr.Button("Ny samtale", variant="secondary", elem_id="ny-samtale")
        status = gr.HTML(elem_id="status")
        gr.HTML(str(bits.feedback_title()), elem_id="feedback-titel")
        with gr.Row():
            up = gr.Button("👍 Ja, svaret hjalp", elem_id="tommel-op", interactive=False, size="sm")
            down = gr.Button("👎 Nej, svaret hjalp ikke", elem_id="tommel-ned", interactive=False, size="sm")
        gr.HTML(str(bits.examples_title()), elem_id="eksempler-titel")
        with gr.Row(elem_id="eksempler"):
            example_buttons = [
                gr.Button(f"Eksempel {i + 1}", size="sm", variant="secondary", visible=False, elem_classes=["eksempel"])
                for i in range(n_examples)
            ]
        history = gr.State([])
        answer_id = gr.State(None)

        private = {"api_visibility": "private"}
        outputs = [question, chatbot, history, answer_id, up, down, status]
        page.load(on_load, outputs=[pool, note, *example_buttons], **private)
        pool.change(on_pool, inputs=[pool], outputs=[note, *example_buttons], **private)
        send.click(respond, inputs=[question, pool, chatbot, history], outputs=outputs, **private)
        question.submit(respond, inputs=[question, pool, chatbot, history], outputs=outputs, **private)
        for button in example_buttons:
            button.click(respond, inputs=[button, pool, chatbot, history], outputs=outputs, **private)
        up.click(lambda a: vote(a, "up"), inputs=[answer_id], outputs=[status, up, down], **private)
        down.click(lambda a: vote(a, "down"), inputs=[answer_id], outputs=[status, up, down], **private)
        new.click(reset, outputs=[chatbot, history, answer_id, up, down, status], **private)
        chatbot.clear(reset, outputs=[chatbot, history, answer_id, up, down, status], **private)
    return page


def launch_console(settings: Settings, host: str, port: int) -> None:
    """Serves the console on loopback until Ctrl-C; refuses any other address (it has no staff login)."""
    if not is_loopback(host):
        raise AssistantError(f"Konsollen kører kun på denne maskine (127.0.0.1), ikke på {host}.")
    # gradio's launch-time lookups of remote hosts stay off (see shared/FINDINGS.md).
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    import gradio as gr

    service = WebService(settings)
    service.start()
    theme = gr.themes.Default(
        font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "Arial", "sans-serif"],
        font_mono=["ui-monospace", "monospace"],
    ).set(
        button_primary_background_fill="#0b5cad",
        button_primary_background_fill_hover="#084a8c",
        button_primary_text_color="#ffffff",
        button_primary_border_color="#0b5cad",
    )
    try:
        build_console(service).launch(
            server_name=host,
            server_port=port,
            max_file_size=1,  # bytes: the console takes no files
            footer_links=[],
            show_error=False,
            theme=theme,
            css=(files("assistant.web") / "static" / "applicant.css").read_text(encoding="utf-8"),
            head=render.render("applicant_head.html.j2"),
            ssr_mode=False,
            mcp_server=False,
            enable_monitoring=False,
            pwa=False,
        )
    finally:
        service.stop()
