"""A typed answer's expected text flows as a paragraph (issue 21, item 10): the deck file's line
ends inside a paragraph are not shown as line breaks; lists, code, maths and hard breaks stay."""

from quizapp.core.text.reflow import flow_paragraphs


def test_soft_line_breaks_inside_a_paragraph_become_spaces():
    text = "Neurons stuck outputting 0 because\nthe gradient is zero for negative\ninputs."
    assert flow_paragraphs(text) == "Neurons stuck outputting 0 because the gradient is zero for negative inputs."


def test_structure_is_kept():
    text = "Two parts:\n- one\n- two\n\nThen a\nparagraph.  \nhard break\\\nand\n> quoted\n| a | b |"
    assert flow_paragraphs(text) == ("Two parts:\n- one\n- two\n\nThen a paragraph.  \nhard break\\\nand\n"
                                     "> quoted\n| a | b |")
    code = "Run:\n```\nx = 1\ny = 2\n```\nthen\nstop"
    assert flow_paragraphs(code) == "Run:\n```\nx = 1\ny = 2\n```\nthen stop"
    maths = "The input:\n\n$$\\hat{x} = x$$\n\nand\nmore"
    assert flow_paragraphs(maths) == "The input:\n\n$$\\hat{x} = x$$\n\nand more"
    assert flow_paragraphs("one line") == "one line"
